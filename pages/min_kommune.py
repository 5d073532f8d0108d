import streamlit as st

st.title('min_kommune')
st.info('Under arbeid.')
