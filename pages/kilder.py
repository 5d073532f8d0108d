import streamlit as st

st.title('kilder')
st.info('Under arbeid.')
